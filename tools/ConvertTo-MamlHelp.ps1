<#
.SYNOPSIS
Converts platyPS-style markdown help into a MAML help file and about_ topics into help text.

.DESCRIPTION
Our replacement for platyPS New-ExternalHelp. Reads one markdown file per cmdlet from -Path and
writes a single MAML file named <AssemblyFileName>-Help.xml into -OutputPath, which Get-Help
finds beside the module assembly. Every about_*.md in -Path (and -AboutPath) becomes an
about_*.help.txt plain-text topic.

A cmdlet file without a SYNOPSIS, a DESCRIPTION or at least one example stops the conversion
with an error naming the file; no help file is written then.

Runs under Windows PowerShell 5.1 and PowerShell 7.

.EXAMPLE
./tools/ConvertTo-MamlHelp.ps1 -Path docs/IoTAdmin/en-US -OutputPath out/IoTAdmin/en-US -AboutPath docs
#>
[CmdletBinding()]
param(
    # The folder of cmdlet markdown files (and optionally about_*.md topics).
    [Parameter(Mandatory = $true)]
    [string] $Path,

    # The folder to write the MAML file and the about_ topics to; created when missing.
    [Parameter(Mandatory = $true)]
    [string] $OutputPath,

    # The file name of the module assembly the help belongs to.
    [string] $AssemblyFileName = 'IoTAdmin.dll',

    # Further folders or files searched for about_*.md topics.
    [string[]] $AboutPath = @()
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$MamlNamespace = 'http://schemas.microsoft.com/maml/2004/10'
$CommandNamespace = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$DevNamespace = 'http://schemas.microsoft.com/maml/dev/2004/10'
$AllSetsName = '(All)'

#region Markdown reading

function Get-MarkdownLines
{
    # Reads a file as lines, without the YAML front matter, which it returns separately.
    param([string] $File)

    $lines = [System.IO.File]::ReadAllLines($File, [System.Text.Encoding]::UTF8)
    $frontMatter = @{}
    $start = 0
    if ($lines.Count -gt 0 -and $lines[0].Trim() -eq '---')
    {
        for ($index = 1; $index -lt $lines.Count; $index++)
        {
            if ($lines[$index].Trim() -eq '---')
            {
                $start = $index + 1
                break
            }

            $pair = $lines[$index] -split ':', 2
            if ($pair.Count -eq 2)
            {
                $frontMatter[$pair[0].Trim()] = $pair[1].Trim()
            }
        }
    }

    $body = @()
    if ($start -lt $lines.Count)
    {
        $body = $lines[$start..($lines.Count - 1)]
    }

    New-Object PSObject -Property @{ FrontMatter = $frontMatter; Lines = $body }
}

function New-Block
{
    # Raw keeps a paragraph's markdown (for links); Text is what help shows.
    param([string] $Kind, [string] $Text, [int] $Level = 0, [string] $Language = '', [string] $Raw = '')

    New-Object PSObject -Property @{ Kind = $Kind; Text = $Text; Level = $Level; Language = $Language; Raw = $Raw }
}

function Test-ListItem
{
    param([string] $Line)

    $Line -match '^\s*([-*+]|\d+[.)])\s+'
}

function ConvertTo-Blocks
{
    # Splits markdown lines into headings, fenced code blocks and paragraphs. A list item starts
    # a paragraph of its own so lists survive as separate lines in the help.
    param([string[]] $Lines)

    $blocks = New-Object System.Collections.Generic.List[object]
    $paragraph = New-Object System.Collections.Generic.List[string]
    $code = $null
    $language = ''

    foreach ($line in $Lines)
    {
        if ($null -ne $code)
        {
            if ($line -match '^\s*```\s*$')
            {
                $blocks.Add((New-Block -Kind 'Code' -Text ($code -join "`n") -Language $language))
                $code = $null
            }
            else
            {
                $code.Add($line)
            }

            continue
        }

        $fence = [regex]::Match($line, '^\s*```\s*([\w-]*)\s*$')
        $heading = [regex]::Match($line, '^(#{1,6})\s+(.*?)\s*#*\s*$')
        $startsParagraph = $paragraph.Count -gt 0 -and (Test-ListItem $line)
        if ($fence.Success -or $heading.Success -or $line.Trim() -eq '' -or $startsParagraph)
        {
            Add-Paragraph -Blocks $blocks -Paragraph $paragraph
        }

        if ($fence.Success)
        {
            $language = $fence.Groups[1].Value
            $code = New-Object System.Collections.Generic.List[string]
        }
        elseif ($heading.Success)
        {
            $level = $heading.Groups[1].Value.Length
            $blocks.Add((New-Block -Kind 'Heading' -Text $heading.Groups[2].Value -Level $level))
        }
        elseif ($line.Trim() -ne '')
        {
            $paragraph.Add($line.Trim())
        }
    }

    if ($null -ne $code)
    {
        throw 'A code block is not closed with ```.'
    }

    Add-Paragraph -Blocks $blocks -Paragraph $paragraph
    , $blocks
}

function Add-Paragraph
{
    param($Blocks, $Paragraph)

    if ($Paragraph.Count -gt 0)
    {
        $raw = $Paragraph -join ' '
        $Blocks.Add((New-Block -Kind 'Para' -Text (ConvertFrom-MarkdownInline $raw) -Raw $raw))
        $Paragraph.Clear()
    }
}

function ConvertFrom-MarkdownInline
{
    # Help is plain text: drop backslash escapes and turn [text](uri) into "text (uri)".
    param([string] $Text)

    $linked = [regex]::Replace($Text, '\[([^\]]+)\]\(([^)\s]+)\)', '$1 ($2)')
    [regex]::Replace($linked, '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1')
}

function Get-Sections
{
    # Groups blocks under their headings of the given level: an ordered list of Title + Blocks.
    param($Blocks, [int] $Level)

    $sections = New-Object System.Collections.Generic.List[object]
    $current = New-Object PSObject -Property @{
        Title = ''
        Blocks = (New-Object System.Collections.Generic.List[object])
    }
    $sections.Add($current)
    foreach ($block in $Blocks)
    {
        if ($block.Kind -eq 'Heading' -and $block.Level -eq $Level)
        {
            $current = New-Object PSObject -Property @{
                Title = $block.Text.Trim()
                Blocks = (New-Object System.Collections.Generic.List[object])
            }
            $sections.Add($current)
        }
        else
        {
            $current.Blocks.Add($block)
        }
    }

    , $sections
}

function Find-Section
{
    param($Sections, [string] $Title)

    foreach ($section in $Sections)
    {
        if ($section.Title -eq $Title)
        {
            return $section
        }
    }

    $null
}

function Get-Paragraphs
{
    param($Blocks)

    $texts = @()
    foreach ($block in $Blocks)
    {
        if ($block.Kind -eq 'Para' -and -not (Test-Placeholder $block.Text))
        {
            $texts += $block.Text
        }
    }

    , $texts
}

function Get-CodeBlocks
{
    param($Blocks, $Language = $null)

    $texts = @()
    foreach ($block in $Blocks)
    {
        $languageMatches = ($null -eq $Language) -or ($block.Language -eq $Language)
        if ($block.Kind -eq 'Code' -and $languageMatches)
        {
            $texts += $block.Text
        }
    }

    , $texts
}

function Test-Placeholder
{
    # platyPS leaves {{ Fill in the ... }} where an author has not written anything yet.
    param([string] $Text)

    $Text -match '^\s*\{\{.*\}\}\s*$'
}

#endregion

#region Cmdlet help model

function Read-CommandHelp
{
    param([string] $File)

    $document = Get-MarkdownLines -File $File
    $blocks = ConvertTo-Blocks -Lines $document.Lines
    $top = Get-Sections -Blocks $blocks -Level 1
    if ($top.Count -lt 2)
    {
        throw "${File}: the file has no '# Verb-Noun' title."
    }

    $name = $top[1].Title
    $sections = Get-Sections -Blocks $top[1].Blocks -Level 2
    $help = New-Object PSObject -Property @{
        File = $File
        Name = $name
        OnlineVersion = [string] $document.FrontMatter['online version']
        Synopsis = (Get-Paragraphs (Get-SectionBlocks $sections 'SYNOPSIS')) -join ' '
        Description = Get-Paragraphs (Get-SectionBlocks $sections 'DESCRIPTION')
        SyntaxSets = Read-SyntaxSets (Get-SectionBlocks $sections 'SYNTAX')
        Examples = Read-Examples (Get-SectionBlocks $sections 'EXAMPLES')
        Parameters = Read-Parameters (Get-SectionBlocks $sections 'PARAMETERS')
        Inputs = Read-TypeList (Get-SectionBlocks $sections 'INPUTS')
        Outputs = Read-TypeList (Get-SectionBlocks $sections 'OUTPUTS')
        Notes = Get-Paragraphs (Get-SectionBlocks $sections 'NOTES')
        Links = Read-Links (Get-SectionBlocks $sections 'RELATED LINKS')
    }

    Assert-CommandHelp -Help $help
    $help
}

function Get-SectionBlocks
{
    param($Sections, [string] $Title)

    $section = Find-Section -Sections $Sections -Title $Title
    if ($null -eq $section)
    {
        return , @()
    }

    , $section.Blocks
}

function Assert-CommandHelp
{
    param($Help)

    $missing = @()
    if ([string]::IsNullOrWhiteSpace($Help.Synopsis))
    {
        $missing += 'a ## SYNOPSIS text'
    }

    if ($Help.Description.Count -eq 0)
    {
        $missing += 'a ## DESCRIPTION text'
    }

    if ($Help.Examples.Count -eq 0)
    {
        $missing += 'an example with code under ## EXAMPLES'
    }

    if ($missing.Count -gt 0)
    {
        throw ("{0}: help for '{1}' lacks {2}." -f $Help.File, $Help.Name, ($missing -join ', '))
    }
}

function Read-SyntaxSets
{
    # Each '### SetName' holds the syntax line of one parameter set; without any, there is one set.
    param($Blocks)

    $sets = @()
    foreach ($section in (Get-Sections -Blocks $Blocks -Level 3))
    {
        $code = Get-CodeBlocks $section.Blocks
        if ($code.Count -gt 0)
        {
            # platyPS marks the default set as 'Name (Default)'.
            $setName = $section.Title -replace '\s*\(Default\)$', ''
            if ($setName -eq '')
            {
                $setName = $AllSetsName
            }

            $sets += New-Object PSObject -Property @{ Name = $setName; Text = ($code -join ' ') }
        }
    }

    , $sets
}

function Read-Examples
{
    param($Blocks)

    $examples = @()
    foreach ($section in (Get-Sections -Blocks $Blocks -Level 3))
    {
        $code = Get-CodeBlocks $section.Blocks
        if ($section.Title -eq '' -or $code.Count -eq 0)
        {
            continue
        }

        $examples += New-Object PSObject -Property @{
            Title = $section.Title
            Code = $code -join "`n`n"
            Remarks = Get-Paragraphs $section.Blocks
        }
    }

    , $examples
}

function Read-Parameters
{
    param($Blocks)

    $parameters = @()
    foreach ($section in (Get-Sections -Blocks $Blocks -Level 3))
    {
        if (-not $section.Title.StartsWith('-'))
        {
            # CommonParameters and any text before the first parameter carry nothing for MAML.
            continue
        }

        $variants = @()
        foreach ($yaml in (Get-CodeBlocks $section.Blocks 'yaml'))
        {
            $variants += ConvertFrom-ParameterYaml $yaml
        }

        if ($variants.Count -eq 0)
        {
            $variants += ConvertFrom-ParameterYaml ''
        }

        $parameters += New-Object PSObject -Property @{
            Name = $section.Title.Substring(1)
            Description = Get-Paragraphs $section.Blocks
            Variants = $variants
        }
    }

    , $parameters
}

function ConvertFrom-ParameterYaml
{
    # Reads the simple 'Key: value' lines platyPS writes; missing keys get platyPS's defaults.
    param([string] $Yaml)

    $values = @{
        'Type' = 'Object'; 'Parameter Sets' = $AllSetsName; 'Aliases' = ''; 'Accepted values' = ''
        'Required' = 'False'; 'Position' = 'Named'; 'Default value' = 'None'
        'Accept pipeline input' = 'False'; 'Accept wildcard characters' = 'False'
    }
    foreach ($line in ($Yaml -split "`n"))
    {
        $pair = $line -split ':', 2
        if ($pair.Count -eq 2 -and $pair[0].Trim() -ne '')
        {
            $values[$pair[0].Trim()] = $pair[1].Trim()
        }
    }

    New-Object PSObject -Property @{
        Type = $values['Type']
        Sets = Split-List $values['Parameter Sets']
        Aliases = Split-List $values['Aliases']
        AcceptedValues = Split-List $values['Accepted values']
        Required = $values['Required'] -match '^\s*true'
        Position = $values['Position']
        DefaultValue = $values['Default value']
        PipelineInput = $values['Accept pipeline input']
        Globbing = $values['Accept wildcard characters'] -match '^\s*true'
    }
}

function Split-List
{
    param([string] $Text)

    $items = @()
    foreach ($item in ($Text -split ','))
    {
        if ($item.Trim() -ne '' -and $item.Trim() -ne 'None')
        {
            $items += $item.Trim()
        }
    }

    , $items
}

function Read-TypeList
{
    # '### TypeName' followed by text; a section with only a paragraph such as 'None' names one type.
    param($Blocks)

    $types = @()
    foreach ($section in (Get-Sections -Blocks $Blocks -Level 3))
    {
        if ($section.Title -ne '')
        {
            $types += New-Object PSObject -Property @{
                Name = $section.Title
                Description = Get-Paragraphs $section.Blocks
            }
            continue
        }

        foreach ($text in (Get-Paragraphs $section.Blocks))
        {
            $types += New-Object PSObject -Property @{ Name = $text; Description = @() }
        }
    }

    , $types
}

function Read-Links
{
    param($Blocks)

    $links = @()
    foreach ($block in $Blocks)
    {
        if ($block.Kind -ne 'Para' -or (Test-Placeholder $block.Text))
        {
            continue
        }

        $found = [regex]::Matches($block.Raw, '\[(?<text>[^\]]+)\]\((?<uri>[^)]*)\)')
        if ($found.Count -eq 0)
        {
            $links += New-Object PSObject -Property @{ Text = $block.Text; Uri = '' }
        }

        foreach ($match in $found)
        {
            $links += New-Object PSObject -Property @{
                Text = $match.Groups['text'].Value.Trim()
                Uri = $match.Groups['uri'].Value
            }
        }
    }

    , $links
}

#endregion

#region MAML writing

function Write-Element
{
    param($Writer, [string] $Prefix, [string] $Name, [string] $Text)

    $Writer.WriteElementString($Prefix, $Name, (Get-NamespaceOf $Prefix), $Text)
}

function Get-NamespaceOf
{
    param([string] $Prefix)

    switch ($Prefix)
    {
        'maml' { return $MamlNamespace }
        'command' { return $CommandNamespace }
        'dev' { return $DevNamespace }
    }

    throw "Unknown MAML prefix '$Prefix'."
}

function Write-Start
{
    param($Writer, [string] $Prefix, [string] $Name, [hashtable] $Attributes = @{})

    $Writer.WriteStartElement($Prefix, $Name, (Get-NamespaceOf $Prefix))
    foreach ($key in ($Attributes.Keys | Sort-Object))
    {
        $Writer.WriteAttributeString($key, [string] $Attributes[$key])
    }
}

function Write-Description
{
    # A maml:description holding one maml:para per paragraph.
    param($Writer, [string[]] $Paragraphs)

    Write-Start $Writer 'maml' 'description'
    foreach ($paragraph in $Paragraphs)
    {
        Write-Element $Writer 'maml' 'para' $paragraph
    }

    $Writer.WriteEndElement()
}

function Write-Command
{
    param($Writer, $Help)

    Write-Start $Writer 'command' 'command'
    Write-Details $Writer $Help
    Write-Description $Writer $Help.Description
    Write-Syntax $Writer $Help
    Write-Parameters $Writer $Help
    Write-TypeList $Writer 'inputTypes' 'inputType' $Help.Inputs
    Write-TypeList $Writer 'returnValues' 'returnValue' $Help.Outputs
    Write-Notes $Writer $Help.Notes
    Write-Examples $Writer $Help.Examples
    Write-Links $Writer $Help
    $Writer.WriteEndElement()
}

function Write-Details
{
    param($Writer, $Help)

    $verb, $noun = $Help.Name -split '-', 2
    Write-Start $Writer 'command' 'details'
    Write-Element $Writer 'command' 'name' $Help.Name
    Write-Element $Writer 'command' 'verb' $verb
    Write-Element $Writer 'command' 'noun' ([string] $noun)
    Write-Description $Writer @($Help.Synopsis)
    $Writer.WriteEndElement()
}

function Get-SyntaxSets
{
    # Without a SYNTAX section there is still one syntax item listing every parameter.
    param($Help)

    if ($Help.SyntaxSets.Count -gt 0)
    {
        return , $Help.SyntaxSets
    }

    , @(New-Object PSObject -Property @{ Name = $AllSetsName; Text = '' })
}

function Get-Variant
{
    # The YAML block of a parameter that applies to the set, or $null when it is not in the set.
    param($Parameter, [string] $SetName)

    foreach ($variant in $Parameter.Variants)
    {
        $inSet = $variant.Sets -contains $SetName -or $variant.Sets -contains $AllSetsName
        if ($SetName -eq $AllSetsName -or $inSet)
        {
            return $variant
        }
    }

    $null
}

function Write-Syntax
{
    param($Writer, $Help)

    Write-Start $Writer 'command' 'syntax'
    foreach ($set in (Get-SyntaxSets $Help))
    {
        Write-Start $Writer 'command' 'syntaxItem'
        Write-Element $Writer 'maml' 'name' $Help.Name
        foreach ($parameter in (Get-SyntaxParameters $Help $set))
        {
            Write-Parameter $Writer $parameter (Get-Variant $parameter $set.Name) -InSyntax
        }

        $Writer.WriteEndElement()
    }

    $Writer.WriteEndElement()
}

function Get-SyntaxParameters
{
    # The set's parameters in the order its syntax line shows them.
    param($Help, $Set)

    $keyed = @()
    $order = 0
    foreach ($parameter in $Help.Parameters)
    {
        if ($null -eq (Get-Variant $parameter $Set.Name))
        {
            continue
        }

        $found = [regex]::Match($Set.Text, '-' + [regex]::Escape($parameter.Name) + '\b')
        $index = [int]::MaxValue
        if ($found.Success)
        {
            $index = $found.Index
        }

        # The running order keeps parameters missing from the syntax line in document order.
        $keyed += New-Object PSObject -Property @{ Index = $index; Order = $order; Parameter = $parameter }
        $order++
    }

    , @($keyed | Sort-Object -Property Index, Order | ForEach-Object { $_.Parameter })
}

function Write-Parameters
{
    param($Writer, $Help)

    Write-Start $Writer 'command' 'parameters'
    foreach ($parameter in $Help.Parameters)
    {
        Write-Parameter $Writer $parameter $parameter.Variants[0]
    }

    $Writer.WriteEndElement()
}

function Write-Parameter
{
    param($Writer, $Parameter, $Variant, [switch] $InSyntax)

    $isSwitch = $Variant.Type -match '^(System\.Management\.Automation\.)?SwitchParameter$'
    $aliases = 'none'
    if ($Variant.Aliases.Count -gt 0)
    {
        $aliases = $Variant.Aliases -join ', '
    }

    Write-Start $Writer 'command' 'parameter' @{
        required = $Variant.Required.ToString().ToLowerInvariant()
        variableLength = ($Variant.Type -match '\[\]$').ToString().ToLowerInvariant()
        globbing = $Variant.Globbing.ToString().ToLowerInvariant()
        pipelineInput = $Variant.PipelineInput
        position = $Variant.Position.ToLowerInvariant()
        aliases = $aliases
    }
    Write-Element $Writer 'maml' 'name' $Parameter.Name
    Write-Description $Writer $Parameter.Description
    Write-ParameterValue $Writer $Variant $isSwitch $InSyntax
    if (-not $InSyntax)
    {
        Write-Start $Writer 'dev' 'type'
        Write-Element $Writer 'maml' 'name' $Variant.Type
        Write-Element $Writer 'maml' 'uri' ''
        $Writer.WriteEndElement()
        Write-Element $Writer 'dev' 'defaultValue' $Variant.DefaultValue
    }

    $Writer.WriteEndElement()
}

function Write-ParameterValue
{
    # Switches show no value in a syntax line; a value list becomes a parameterValueGroup.
    param($Writer, $Variant, [bool] $IsSwitch, [bool] $InSyntax)

    if ($Variant.AcceptedValues.Count -gt 0)
    {
        Write-Start $Writer 'command' 'parameterValueGroup'
        foreach ($value in $Variant.AcceptedValues)
        {
            Write-Start $Writer 'command' 'parameterValue' @{ required = 'false'; variableLength = 'false' }
            $Writer.WriteString($value)
            $Writer.WriteEndElement()
        }

        $Writer.WriteEndElement()
    }

    if ($IsSwitch -and $InSyntax)
    {
        return
    }

    Write-Start $Writer 'command' 'parameterValue' @{
        required = (-not $IsSwitch).ToString().ToLowerInvariant()
        variableLength = 'false'
    }
    $Writer.WriteString($Variant.Type)
    $Writer.WriteEndElement()
}

function Write-TypeList
{
    param($Writer, [string] $ListName, [string] $ItemName, $Types)

    Write-Start $Writer 'command' $ListName
    foreach ($type in $Types)
    {
        Write-Start $Writer 'command' $ItemName
        Write-Start $Writer 'dev' 'type'
        Write-Element $Writer 'maml' 'name' $type.Name
        $Writer.WriteEndElement()
        Write-Description $Writer $type.Description
        $Writer.WriteEndElement()
    }

    $Writer.WriteEndElement()
}

function Write-Notes
{
    param($Writer, [string[]] $Notes)

    Write-Start $Writer 'maml' 'alertSet'
    Write-Start $Writer 'maml' 'alert'
    foreach ($note in $Notes)
    {
        Write-Element $Writer 'maml' 'para' $note
    }

    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

function Write-Examples
{
    param($Writer, $Examples)

    Write-Start $Writer 'command' 'examples'
    foreach ($example in $Examples)
    {
        Write-Start $Writer 'command' 'example'
        Write-Element $Writer 'maml' 'title' ('--- {0} ---' -f $example.Title.Trim(' ', '-'))
        Write-Element $Writer 'dev' 'code' $example.Code
        Write-Start $Writer 'dev' 'remarks'
        foreach ($remark in $example.Remarks)
        {
            Write-Element $Writer 'maml' 'para' $remark
        }

        # An empty paragraph makes Get-Help leave a blank line before the next example.
        Write-Element $Writer 'maml' 'para' ''

        $Writer.WriteEndElement()
        $Writer.WriteEndElement()
    }

    $Writer.WriteEndElement()
}

function Write-Links
{
    param($Writer, $Help)

    $links = @()
    if (-not [string]::IsNullOrWhiteSpace($Help.OnlineVersion))
    {
        $links += New-Object PSObject -Property @{ Text = 'Online Version:'; Uri = $Help.OnlineVersion }
    }

    Write-Start $Writer 'maml' 'relatedLinks'
    foreach ($link in ($links + $Help.Links))
    {
        Write-Start $Writer 'maml' 'navigationLink'
        Write-Element $Writer 'maml' 'linkText' $link.Text
        Write-Element $Writer 'maml' 'uri' $link.Uri
        $Writer.WriteEndElement()
    }

    $Writer.WriteEndElement()
}

function Write-MamlFile
{
    param([string] $File, $Commands)

    $settings = New-Object System.Xml.XmlWriterSettings
    $settings.Indent = $true
    $settings.IndentChars = '  '
    $settings.NewLineChars = "`n"
    $settings.Encoding = New-Object System.Text.UTF8Encoding($false)

    $writer = [System.Xml.XmlWriter]::Create($File, $settings)
    try
    {
        $writer.WriteStartDocument()
        $writer.WriteStartElement('helpItems', 'http://msh')
        $writer.WriteAttributeString('schema', 'maml')
        $writer.WriteAttributeString('xmlns', 'maml', $null, $MamlNamespace)
        $writer.WriteAttributeString('xmlns', 'command', $null, $CommandNamespace)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $DevNamespace)
        foreach ($help in $Commands)
        {
            Write-Command $writer $help
        }

        $writer.WriteEndElement()
        $writer.WriteEndDocument()
    }
    finally
    {
        $writer.Close()
    }
}

#endregion

#region About topics

function ConvertTo-AboutText
{
    # Plain-text layout of about_ topics: headings at column 0 in capitals, text indented by 4,
    # a blank line between blocks except under a heading and between items of one list.
    param([string] $File)

    $document = Get-MarkdownLines -File $File
    $output = New-Object System.Collections.Generic.List[string]
    $previous = $null
    foreach ($block in (ConvertTo-Blocks -Lines $document.Lines))
    {
        if ($null -ne $previous -and -not (Test-AboutJoined -Previous $previous -Current $block))
        {
            $output.Add('')
        }

        foreach ($line in (Format-AboutBlock -Block $block))
        {
            $output.Add($line.TrimEnd())
        }

        $previous = $block
    }

    ($output -join "`n").Trim("`n") + "`n"
}

function Test-AboutJoined
{
    param($Previous, $Current)

    $underHeading = $Previous.Kind -eq 'Heading' -and $Previous.Level -gt 1
    $listGoesOn = $Previous.Kind -eq 'Para' -and $Current.Kind -eq 'Para' -and
        (Test-ListItem $Previous.Raw) -and (Test-ListItem $Current.Raw)
    $underHeading -or $listGoesOn
}

function Format-AboutBlock
{
    param($Block)

    if ($Block.Kind -eq 'Heading')
    {
        if ($Block.Level -eq 1)
        {
            return @('TOPIC', ('    ' + $Block.Text))
        }

        if ($Block.Level -eq 2)
        {
            return , @($Block.Text.ToUpperInvariant())
        }

        return , @('  ' + $Block.Text)
    }

    if ($Block.Kind -eq 'Code')
    {
        return , @($Block.Text -split "`n" | ForEach-Object { '        ' + $_ })
    }

    # List items hang: their wrapped lines line up with the text after the marker.
    $hanging = ''
    if (Test-ListItem $Block.Raw)
    {
        $hanging = '  '
    }

    $wrapped = Format-Wrapped -Text $Block.Text -Width (76 - $hanging.Length)
    $lines = @()
    for ($index = 0; $index -lt $wrapped.Count; $index++)
    {
        $indent = '    '
        if ($index -gt 0)
        {
            $indent += $hanging
        }

        $lines += $indent + $wrapped[$index]
    }

    , $lines
}

function Format-Wrapped
{
    param([string] $Text, [int] $Width)

    $lines = @()
    $current = ''
    foreach ($word in ($Text -split '\s+'))
    {
        if ($current.Length -gt 0 -and $current.Length + 1 + $word.Length -gt $Width)
        {
            $lines += $current
            $current = $word
        }
        elseif ($current.Length -gt 0)
        {
            $current += ' ' + $word
        }
        else
        {
            $current = $word
        }
    }

    if ($current.Length -gt 0)
    {
        $lines += $current
    }

    , $lines
}

function Get-AboutFiles
{
    param([string[]] $Locations)

    $files = @()
    foreach ($location in $Locations)
    {
        if (Test-Path -LiteralPath $location -PathType Leaf)
        {
            $files += Get-Item -LiteralPath $location
        }
        elseif (Test-Path -LiteralPath $location -PathType Container)
        {
            $files += @(Get-ChildItem -LiteralPath $location -Filter 'about_*.md' -File)
        }
        else
        {
            throw "About topic location '$location' does not exist."
        }
    }

    , @($files | Sort-Object -Property FullName -Unique)
}

#endregion

#region Main

if (-not (Test-Path -LiteralPath $Path -PathType Container))
{
    throw "Markdown folder '$Path' does not exist."
}

$commandFiles = @(Get-ChildItem -LiteralPath $Path -Filter '*.md' -File |
    Where-Object { $_.Name -notlike 'about_*' } |
    Sort-Object -Property Name)
if ($commandFiles.Count -eq 0)
{
    throw "Markdown folder '$Path' holds no cmdlet help files."
}

# Read everything first, so a broken file stops the run before anything is written.
$problems = @()
$commands = @()
foreach ($file in $commandFiles)
{
    try
    {
        $commands += Read-CommandHelp -File $file.FullName
    }
    catch
    {
        $problems += $_.Exception.Message
    }
}

if ($problems.Count -gt 0)
{
    throw ("Cannot build help:`n" + ($problems -join "`n"))
}

if (-not (Test-Path -LiteralPath $OutputPath))
{
    $null = New-Item -ItemType Directory -Path $OutputPath
}

$outputFolder = (Resolve-Path -LiteralPath $OutputPath).ProviderPath
$mamlFile = Join-Path $outputFolder ($AssemblyFileName + '-Help.xml')
Write-MamlFile -File $mamlFile -Commands $commands
Get-Item -LiteralPath $mamlFile

foreach ($about in (Get-AboutFiles -Locations (@($Path) + $AboutPath)))
{
    $target = Join-Path $outputFolder ($about.BaseName + '.help.txt')
    $text = ConvertTo-AboutText -File $about.FullName
    [System.IO.File]::WriteAllText($target, $text, (New-Object System.Text.UTF8Encoding($false)))
    Get-Item -LiteralPath $target
}

#endregion
